// babel-preset-taro compiles React JSX and, for demo/miniprogram-shared, TypeScript.
module.exports = {
  presets: [['taro', { framework: 'react', ts: true }]],
};
