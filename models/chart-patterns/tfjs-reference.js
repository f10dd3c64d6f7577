// Produces the golden values the Java tests compare against: upstream's own preprocessing code and
// TensorFlow.js' own layers implementation, run on deterministic synthetic price paths.
//
// usage: node tfjs-reference.js <unpacked technicalindicators package dir> <out.json>
//   (@tensorflow/tfjs must be resolvable, e.g. NODE_PATH=<dir with node_modules>)
//
// The preprocessing functions are taken verbatim from the package's lib/patterndetection/patterndetection.js
// at run time, so what is compared is upstream's code, not a re-implementation of it.
'use strict';
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');

const pkg = process.argv[2];
const out = process.argv[3];
const src = fs.readFileSync(path.join(pkg, 'lib/patterndetection/patterndetection.js'), 'utf8');
function extract(name) {
    const start = src.indexOf('function ' + name + '(');
    if (start < 0) throw new Error('upstream function ' + name + ' not found');
    let depth = 0;
    for (let i = src.indexOf('{', start); i < src.length; i++) {
        if (src[i] === '{') depth++;
        if (src[i] === '}' && --depth === 0) return src.slice(start, i + 1);
    }
    throw new Error('unterminated ' + name);
}
const interpolateArray = new Function(extract('interpolateArray') + '\nreturn interpolateArray;')();
const l2Normalize = new Function(extract('l2Normalize') + '\nreturn l2Normalize;')();
const oneHotMap = ['IHS', 'TU', 'DB', 'HS', 'TD', 'DT'];

// Piecewise-linear paths through integer knots plus integer-LCG noise: only +,-,*,/ on doubles and int32
// ops, so the Java test (SyntheticPaths) builds bit-identical series.
function path_(n, knots, noise, seed) {
    const v = new Array(n);
    let s = seed | 0;
    for (let t = 0; t < n; t++) {
        let k = 0;
        while (k < knots.length - 2 && t > knots[k + 1][0]) k++;
        const [x0, y0] = knots[k];
        const [x1, y1] = knots[k + 1];
        let y = y0 + (y1 - y0) * (t - x0) / (x1 - x0);
        s = (Math.imul(s, 1103515245) + 12345) | 0;
        const r = (s >>> 8) % 2001;
        y += noise * (r - 1000) / 1000;
        v[t] = y;
    }
    return v;
}
const shapes = {
    double_top: path_(300, [[0, 100], [70, 140], [120, 118], [180, 140], [299, 96]], 0.8, 1),
    double_bottom: path_(300, [[0, 140], [70, 100], [120, 122], [180, 100], [299, 144]], 0.8, 2),
    head_and_shoulders: path_(420, [[0, 100], [70, 130], [110, 115], [200, 150], [280, 115], [330, 130], [419, 96]], 0.8, 3),
    inverse_head_and_shoulders: path_(420, [[0, 150], [70, 120], [110, 135], [200, 100], [280, 135], [330, 120], [419, 154]], 0.8, 4),
    trend_up: path_(350, [[0, 100], [349, 160]], 1.5, 5),
    trend_down: path_(350, [[0, 160], [349, 100]], 1.5, 6),
    short_seven: [101.5, 102.25, 100.75, 103, 104.5, 103.25, 105],
    long_flat_noise: path_(1000, [[0, 50], [999, 50]], 0.3, 7),
};

(async () => {
    const model = JSON.parse(fs.readFileSync(path.join(pkg, 'tf_model/model.json'), 'utf8'));
    const shard = fs.readFileSync(path.join(pkg, 'tf_model/group1-shard1of1'));
    const weightData = shard.buffer.slice(shard.byteOffset, shard.byteOffset + shard.byteLength);
    const net = await tf.loadLayersModel(tf.io.fromMemory({
        modelTopology: model.modelTopology,
        weightSpecs: model.weightsManifest.flatMap(g => g.weights),
        weightData,
    }));
    const result = { tfjs: tf.version.tfjs, backend: tf.getBackend(), classes: oneHotMap, cases: {} };
    for (const [name, series] of Object.entries(shapes)) {
        const window = l2Normalize(interpolateArray(series, 400));
        const probs = Array.from(net.predict(tf.tensor2d([window])).dataSync());
        result.cases[name] = { length: series.length, series, window, probabilities: probs };
    }
    fs.writeFileSync(out, JSON.stringify(result) + '\n');
    for (const [name, c] of Object.entries(result.cases)) {
        const best = c.probabilities.indexOf(Math.max(...c.probabilities));
        console.log(name.padEnd(28), oneHotMap[best], c.probabilities.map(p => p.toFixed(4)).join(' '));
    }
})().catch(e => { console.error(e); process.exit(1); });
