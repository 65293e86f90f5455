// The live page: shows the balances read model and re-reads it whenever the server announces a change.
(function () {
  const rows = document.getElementById('balances');
  const status = document.getElementById('status');
  const message = document.getElementById('message');

  function money(cents) {
    const sign = cents < 0 ? '-' : '';
    const abs = Math.abs(cents);
    return sign + Math.floor(abs / 100) + '.' + String(abs % 100).padStart(2, '0');
  }

  async function load(changedKeys) {
    const response = await fetch('/balances', { cache: 'no-store' });
    const body = await response.json();
    rows.textContent = '';
    for (const [account, cents] of Object.entries(body.balances)) {
      const row = document.createElement('tr');
      row.id = 'row-' + account;
      const name = document.createElement('td');
      name.textContent = account;
      const balance = document.createElement('td');
      balance.className = 'money';
      balance.id = 'balance-' + account;
      balance.textContent = money(cents);
      row.append(name, balance);
      if (changedKeys && (changedKeys.length === 0 || changedKeys.includes(account))) {
        row.className = 'flash';
        setTimeout(() => row.classList.remove('flash'), 50);
      }
      rows.append(row);
    }
    document.getElementById('position').textContent = 'read model at log position ' + body.position;
  }

  // One stream for the whole read model; "change" names the keys, "resync" means: reload everything.
  const changes = new EventSource('/changes?topic=balances');
  changes.addEventListener('open', () => {
    status.textContent = 'live';
    status.className = 'live';
    load();
  });
  changes.addEventListener('change', event => load(JSON.parse(event.data).keys));
  changes.addEventListener('resync', () => load());
  changes.addEventListener('error', () => {
    status.textContent = 'reconnecting…';
    status.className = '';
  });

  async function send(path) {
    const form = new URLSearchParams(new FormData(document.getElementById('deposit')));
    const response = await fetch(path, { method: 'POST', body: form });
    message.textContent = response.ok ? '' : await response.text();
  }
  document.getElementById('deposit').addEventListener('submit', event => {
    event.preventDefault();
    send('/deposit');
  });
  document.getElementById('withdraw-button').addEventListener('click', () => send('/withdraw'));
})();
