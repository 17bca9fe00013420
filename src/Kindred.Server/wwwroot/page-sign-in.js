// Sign up and sign in: one form, two modes.
import { api, session } from './api.js';
import { h, showPage } from './dom.js';

export function renderSignIn(signingUp) {
  const error = h('p', { class: 'error', role: 'alert', id: 'auth-error' });
  const username = h('input', {
    id: 'username', name: 'username', autocomplete: 'username', required: true, minlength: 3, maxlength: 64,
    autocapitalize: 'none', spellcheck: 'false', 'aria-describedby': 'username-hint auth-error',
  });
  const password = h('input', {
    id: 'password', name: 'password', type: 'password', required: true, minlength: 8, maxlength: 1024,
    autocomplete: signingUp ? 'new-password' : 'current-password', 'aria-describedby': 'password-hint auth-error',
  });
  const submit = h('button', { type: 'submit', class: 'primary' }, signingUp ? 'Create my account' : 'Sign in');

  const form = h('form', { class: 'card narrow', novalidate: true },
    h('label', { for: 'username' }, 'Username'),
    username,
    h('p', { class: 'hint', id: 'username-hint' }, '3–64 letters, digits, ".", "_", "-" or "@".'),
    h('label', { for: 'password' }, 'Password'),
    password,
    h('p', { class: 'hint', id: 'password-hint' }, 'At least 8 characters.'),
    error,
    submit,
    h('p', {}, signingUp
      ? h('a', { href: '#/sign-in' }, 'I already have an account: sign in')
      : h('a', { href: '#/sign-up' }, 'New here? Create an account')));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    submit.disabled = true;
    const credentials = { username: username.value.trim(), password: password.value };
    try {
      if (signingUp) await api('POST', '/api/accounts', credentials);
      const issued = await api('POST', '/api/sessions', credentials);
      session.token = issued.token;
      location.hash = '#/';
    } catch (failure) {
      error.textContent = failure.status === 401 ? 'That username and password do not match.' : failure.message;
      (failure.problem?.errors?.password ? password : username).focus();
    } finally {
      submit.disabled = false;
    }
  });

  showPage(signingUp ? 'Create your account' : 'Sign in',
    h('p', { class: 'lead' }, 'A companion who listens, remembers, and keeps everything on your own machine.'),
    form);
  username.focus();
}
