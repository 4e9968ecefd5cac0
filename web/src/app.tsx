export function App() {
  return <h1>riskgate</h1>;
}
