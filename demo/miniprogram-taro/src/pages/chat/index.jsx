import { useState } from 'react';
import Taro, { useLoad } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { DEMO_KEFU_SERVER, chatProduct, fetchIdentity, navigateAction } from '@kefu-demo/demo-mall';
import './index.css';

export default function ChatPage() {
  // The component mounts once the identity is known, so it never starts a chat as the wrong person.
  const [chat, setChat] = useState(null);

  useLoad((query) => {
    const product = chatProduct(query.productId);
    void fetchIdentity(Taro.request).then((identity) => {
      setChat({ identity, product });
    });
  });

  // Product cards open the mini-program's product page; orders and links are web pages: copy them.
  function onNavigate(event) {
    const action = navigateAction(event.detail);
    if (action?.type === 'page') void Taro.navigateTo({ url: action.url });
    else if (action?.type === 'copy') void Taro.setClipboardData({ data: action.text });
  }

  function onQueue(event) {
    void Taro.setNavigationBarTitle({ title: `排队中 · 第 ${event.detail.position} 位` });
  }

  function onAssigned() {
    void Taro.setNavigationBarTitle({ title: '在线客服' });
  }

  function onError(event) {
    void Taro.showToast({ title: event.detail.message || '客服连接出错', icon: 'none' });
  }

  if (!chat) return <View className="chat__loading">正在连接客服…</View>;
  // Taro writes className on a native component as a `className` attribute, not its class: the wrapper
  // carries the layout.
  return (
    <View className="chat">
      <kefu-chat
        server={DEMO_KEFU_SERVER}
        locale="zh-CN"
        identity={chat.identity}
        product={chat.product}
        onNavigate={onNavigate}
        onQueue={onQueue}
        onAssigned={onAssigned}
        onError={onError}
      />
    </View>
  );
}
