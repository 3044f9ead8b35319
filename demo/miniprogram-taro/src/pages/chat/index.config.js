export default definePageConfig({
  navigationBarTitleText: '在线客服',
  // Taro's way to use a native custom component: register it in the page's config.
  usingComponents: { 'kefu-chat': '../../components/kefu/kefu-chat/index' },
});
