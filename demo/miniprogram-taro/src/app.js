import './app.css';

// Taro's app component: pages render as its children.
function App({ children }) {
  return children;
}

export default App;
