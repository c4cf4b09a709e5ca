/** The serial emulator under the real SerialPortStream: data both ways, unplug, replug. */
import t from 'tap';
import { SerialEmulator } from '../../../drivers/serial/emulator.js';
import { serialErrorCode, serialFix } from '../../../drivers/serial/errors.js';
import { openSerial } from '../../../drivers/serial/link.js';

const nextData = (link: { readable: NodeJS.ReadableStream }): Promise<Buffer> =>
  new Promise((resolve) => link.readable.once('data', resolve));

t.test('bytes flow both ways through the real stream; the device sees the baud rate', async (t) => {
  const emu = new SerialEmulator();
  const seen: number[] = [];
  emu.createPort('/dev/ttyEMU-a', {
    onWrite: (bytes, port) => {
      seen.push(...bytes);
      port.send(Uint8Array.from([0xbb, 0x01, 0xa0]));
    },
  });
  const link = await openSerial({ path: '/dev/ttyEMU-a', baudRate: 115200, binding: emu.binding });
  const reply = nextData(link);
  await link.write(Uint8Array.from([0xaa, 0x01, 0x00, 0x01]));
  t.same([...(await reply)], [0xbb, 0x01, 0xa0]);
  t.same(seen, [0xaa, 0x01, 0x00, 0x01]);
  t.match(emu.stats('/dev/ttyEMU-a'), { opens: 1, baudRate: 115200, lost: 0 });
  await link.close();
  await link.close();
  t.equal(await link.closed, undefined, 'a clean close has no cause');
  t.notOk(emu.send('/dev/ttyEMU-a', Uint8Array.of(1, 2)), 'bytes to a closed port are lost');
  t.equal(emu.stats('/dev/ttyEMU-a').lost, 2);
});

t.test('unplug closes the open port with EIO, opening fails with ENOENT until replug', async (t) => {
  const emu = new SerialEmulator();
  emu.createPort('/dev/ttyEMU-b');
  const link = await openSerial({ path: '/dev/ttyEMU-b', baudRate: 9600, binding: emu.binding });
  link.readable.resume();
  emu.unplug('/dev/ttyEMU-b');
  const cause = await link.closed;
  t.ok(cause, 'closed with a cause');
  const err = await openSerial({ path: '/dev/ttyEMU-b', baudRate: 9600, binding: emu.binding }).catch(
    (e: unknown) => e,
  );
  t.equal(serialErrorCode(err), 'ENOENT');
  t.match(serialFix('/dev/ttyEMU-b', err), /bindsight doctor/);
  t.same(await emu.binding.list(), []);
  emu.replug('/dev/ttyEMU-b');
  const again = await openSerial({ path: '/dev/ttyEMU-b', baudRate: 9600, binding: emu.binding });
  const data = nextData(again);
  emu.send('/dev/ttyEMU-b', Uint8Array.of(0x55));
  t.same([...(await data)], [0x55]);
  await again.close();
  await link.close();
});

t.test('serial error classification reads bindings-cpp messages', async (t) => {
  t.equal(serialErrorCode(new Error('Error: No such file or directory, cannot open /dev/ttyUSB9')), 'ENOENT');
  t.equal(serialErrorCode(new Error('Error: Permission denied, cannot open /dev/ttyUSB0')), 'EACCES');
  t.equal(serialErrorCode(new Error('Error Resource temporarily unavailable Cannot lock port')), undefined);
  t.match(serialFix('/dev/ttyUSB0', new Error('Permission denied')), /usermod -aG dialout/);
});
