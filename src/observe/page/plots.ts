/**
 * The live page's canvas plots, as browser JavaScript (plain ES2017, no build step): a rule's
 * value over time against its thresholds, and an audio or IMU window as min/max envelopes.
 * Written without template literals so it can live in this TypeScript template string.
 */
export const PLOTS_JS = `
var BS_COLOURS = ['#58a6ff', '#3fb950', '#d29922', '#f778ba', '#a371f7', '#39c5cf'];

function bsCanvas(canvas, cssHeight) {
  var ratio = window.devicePixelRatio || 1;
  var w = Math.max(100, canvas.clientWidth || 260);
  canvas.style.height = cssHeight + 'px';
  if (canvas.width !== Math.round(w * ratio)) canvas.width = Math.round(w * ratio);
  if (canvas.height !== Math.round(cssHeight * ratio)) canvas.height = Math.round(cssHeight * ratio);
  var g = canvas.getContext('2d');
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, w, cssHeight);
  return { g: g, w: w, h: cssHeight };
}

function bsLine(g, x0, y0, x1, y1, colour, dash) {
  g.save();
  g.strokeStyle = colour;
  g.setLineDash(dash || []);
  g.beginPath();
  g.moveTo(x0, y0);
  g.lineTo(x1, y1);
  g.stroke();
  g.restore();
}

/** points: [[ms, value, score]], rule: {enter, exit, mode}; x spans [startMs, endMs]. */
function bsDrawRule(canvas, points, rule, startMs, endMs) {
  var c = bsCanvas(canvas, 110);
  var g = c.g;
  var lo = 0;
  var hi = 1;
  if (rule.mode === 'zscore') {
    lo = Math.min(-1, rule.exit - 1);
    hi = rule.enter + 2;
    for (var i = 0; i < points.length; i++) {
      lo = Math.min(lo, points[i][1]);
      hi = Math.max(hi, points[i][1]);
    }
  }
  var pad = 4;
  var y = function (v) { return pad + (c.h - 2 * pad) * (1 - (v - lo) / (hi - lo || 1)); };
  var span = Math.max(1, endMs - startMs);
  var x = function (ms) { return (c.w * (ms - startMs)) / span; };
  g.fillStyle = '#8b96a3';
  g.font = '10px system-ui';
  g.fillText(String(hi.toFixed(hi >= 10 ? 0 : 1)), 2, 10);
  g.fillText(String(lo.toFixed(1)), 2, c.h - 2);
  var label = span >= 120000 ? Math.round(span / 60000) + ' min' : Math.round(span / 1000) + ' s';
  g.fillText('last ' + label, c.w - 48, c.h - 2);
  bsLine(g, 0, y(rule.enter), c.w, y(rule.enter), '#f85149', [4, 3]);
  bsLine(g, 0, y(rule.exit), c.w, y(rule.exit), '#d29922', [2, 3]);
  g.strokeStyle = '#58a6ff';
  g.lineWidth = 1.5;
  g.beginPath();
  var started = false;
  for (var k = 0; k < points.length; k++) {
    var px = x(points[k][0]);
    if (px < 0) continue;
    var py = y(points[k][1]);
    if (started) g.lineTo(px, py);
    else g.moveTo(px, py);
    started = true;
  }
  g.stroke();
  canvas.setAttribute('data-points', String(points.length));
}

/** plot: {labels, min, max, seconds}; audio as a waveform, IMU accel (top) and gyro (bottom). */
function bsDrawWindow(canvas, plot, modality) {
  var c = bsCanvas(canvas, 110);
  var g = c.g;
  var groups = modality === 'imu' && plot.labels.length === 6 ? [[0, 1, 2], [3, 4, 5]] : [plot.labels.map(function (_, i) { return i; })];
  var bandH = c.h / groups.length;
  groups.forEach(function (chans, gi) {
    var lo = Infinity;
    var hi = -Infinity;
    chans.forEach(function (ch) {
      plot.min[ch].forEach(function (v) { lo = Math.min(lo, v); });
      plot.max[ch].forEach(function (v) { hi = Math.max(hi, v); });
    });
    if (modality === 'audio') { hi = Math.max(Math.abs(lo), Math.abs(hi), 1e-3); lo = -hi; }
    if (!(hi > lo)) { hi = lo + 1; }
    var top = gi * bandH + 3;
    var h = bandH - 6;
    var y = function (v) { return top + h * (1 - (v - lo) / (hi - lo)); };
    chans.forEach(function (ch, ci) {
      var n = plot.min[ch].length;
      var colour = BS_COLOURS[(gi * 3 + ci) % BS_COLOURS.length];
      g.strokeStyle = colour;
      g.beginPath();
      for (var i = 0; i < n; i++) {
        var px = (c.w * (i + 0.5)) / n;
        if (modality === 'audio') {
          g.moveTo(px, y(plot.min[ch][i]));
          g.lineTo(px, y(plot.max[ch][i]) - 0.5);
        } else {
          var py = y((plot.min[ch][i] + plot.max[ch][i]) / 2);
          if (i === 0) g.moveTo(px, py);
          else g.lineTo(px, py);
        }
      }
      g.stroke();
      g.fillStyle = colour;
      g.font = '10px system-ui';
      g.fillText(plot.labels[ch], 4 + ci * 22, top + 10);
    });
  });
  canvas.setAttribute('data-drawn', String(Date.now()));
}
`;
