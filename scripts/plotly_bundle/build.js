// esbuild configuration of SilkGrid's partial Plotly bundle (run by build.sh inside the plotly.js
// npm package; the same settings as plotly.js's own esbuild-config.js, minified, without WebGL).
const esbuild = require('esbuild');
const { environmentPlugin } = require('esbuild-plugin-environment');
const InlineCSSPlugin = require('esbuild-plugin-inline-css');

esbuild.build({
  entryPoints: ['./entry-silkgrid.js'], outfile: './dist/plotly-silkgrid.min.js', format: 'iife',
  globalName: 'Plotly', bundle: true, minify: true, sourcemap: false, legalComments: 'none',
  plugins: [InlineCSSPlugin(), environmentPlugin({ NODE_DEBUG: false })],
  alias: { stream: 'stream-browserify' }, define: { global: 'window', 'define.amd': 'false' },
  target: 'es2016', logLevel: 'info',
}).catch(() => process.exit(1));
