import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
// In this order: later sheets build on the base.
import './styles/base.css';
import './styles/layout.css';
import './styles/grid.css';
import './styles/detail.css';
import './styles/dialogs.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
