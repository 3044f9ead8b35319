// The emoji panel: the web widget's set (sdk-web/src/panel/app.tsx), plain Unicode so agents and every
// client see the same characters.
export const EMOJI =
  '😀 😁 😂 🤣 😊 😍 😘 😎 🤔 😅 😭 😡 😱 😴 🙄 😏 👍 👎 👏 🙏 💪 👌 ✌️ 🤝 ❤️ 💔 🎉 🎁 🔥 ⭐ ✅ ❌ ❓ ❗ 💯 🌹 ☕ 🍉 📦 🚚 💰 🧧 📱 💳 🕐 👀 🙂 😢'.split(
    ' ',
  );
