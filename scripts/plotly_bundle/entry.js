'use strict';
// SilkGrid's partial Plotly bundle: the trace types its charts use (scatter is in the core).
var Plotly = require('./lib/core');
Plotly.register([require('./lib/bar'), require('./lib/sankey')]);
module.exports = Plotly;
