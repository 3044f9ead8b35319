export default defineAppConfig({
  pages: ['pages/product/index', 'pages/chat/index'],
  window: {
    navigationBarTextStyle: 'white',
    navigationBarTitleText: '积分商城',
    navigationBarBackgroundColor: '#e4393c',
    backgroundColor: '#f5f5f5',
  },
});
