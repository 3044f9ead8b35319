import { useState } from 'react';
import Taro, { useLoad } from '@tarojs/taro';
import { Button, Image, Text, View } from '@tarojs/components';
import { CHAT_PAGE, PRODUCT_PAGE, demoProduct, listDemoProducts } from '@kefu-demo/demo-mall';
import './index.css';

const products = listDemoProducts();

export default function ProductPage() {
  const [product, setProduct] = useState(products[0]);

  useLoad((query) => {
    const shown = demoProduct(query.id) ?? products[0];
    setProduct(shown);
    void Taro.setNavigationBarTitle({ title: shown.title });
  });

  // The chat page shows this product above the conversation, with a button that sends it to the agent.
  function askAboutProduct() {
    void Taro.navigateTo({ url: `${CHAT_PAGE}?productId=${encodeURIComponent(product.id)}` });
  }

  function openChat() {
    void Taro.navigateTo({ url: CHAT_PAGE });
  }

  function openProduct(id) {
    void Taro.redirectTo({ url: `${PRODUCT_PAGE}?id=${encodeURIComponent(id)}` });
  }

  return (
    <View className="product">
      <Image className="product__image" src={product.image} mode="aspectFit" />
      <View className="product__title">{product.title}</View>
      <View className="product__price">{product.label}</View>
      <View className="product__description">{product.description}</View>
      <Button type="primary" onClick={askAboutProduct}>
        咨询这件商品
      </Button>
      <Button className="product__chat" onClick={openChat}>
        联系客服
      </Button>
      <View className="product__more">更多商品</View>
      {products.map((p) => (
        <View key={p.id} className="product__item" onClick={() => openProduct(p.id)}>
          <Text>{p.title}</Text>
          <Text className="product__item-price">{p.label}</Text>
        </View>
      ))}
    </View>
  );
}
