/**
 * Chunk compression for MCAP files. The MCAP spec's well-known chunk compressions are "", "lz4"
 * and "zstd" (specification appendix, "Well-known compression formats"); gzip or brotli from
 * node:zlib would not be readable by other tools, and Node 20's zlib has no zstd.
 *
 * - Reading: @mcap/support's `loadDecompressHandlers()` (lz4, zstd, bz2, as WebAssembly).
 * - Writing: zstd through @foxglove/wasm-zstd, the WebAssembly build that @mcap/support itself
 *   depends on for decompression (so it is installed with it); level 3, zstd's default. If that
 *   module cannot be loaded, chunks are written uncompressed (compression "") — still a valid,
 *   indexed MCAP file — and `compression` says so.
 */
import type { DecompressHandlers } from '@mcap/core';
import { loadDecompressHandlers, unwrapDefaultExport } from '@mcap/support';

type ZstdModule = typeof import('@foxglove/wasm-zstd');

export interface ChunkCompressor {
  /** "zstd", or "" when chunks are stored uncompressed. */
  compression: 'zstd' | '';
  /** Why compression is off, when it is. */
  reason?: string;
  compressChunk?: (chunk: Uint8Array) => { compression: string; compressedData: Uint8Array };
}

/** zstd level: 3 is zstd's own default, a good speed/ratio balance for a recorder on an edge board. */
export const ZSTD_LEVEL = 3;

let compressor: Promise<ChunkCompressor> | undefined;

async function loadCompressor(): Promise<ChunkCompressor> {
  try {
    const zstd = unwrapDefaultExport<ZstdModule>(await import('@foxglove/wasm-zstd'));
    await zstd.isLoaded;
    return {
      compression: 'zstd',
      compressChunk: (chunk) => ({ compression: 'zstd', compressedData: zstd.compress(chunk, ZSTD_LEVEL) }),
    };
  } catch (err) {
    return {
      compression: '',
      reason: `zstd unavailable (${err instanceof Error ? err.message : String(err)})`,
    };
  }
}

/** The chunk compressor for writing (loaded once). */
export function chunkCompressor(): Promise<ChunkCompressor> {
  compressor ??= loadCompressor();
  return compressor;
}

/** Decompression for every well-known chunk compression (loaded once by @mcap/support). */
export function decompressHandlers(): Promise<DecompressHandlers> {
  return loadDecompressHandlers();
}
