import { describe, expect, it } from 'vitest';
import { renderString, renderTemplate, templatesDirectory } from './render.js';

describe('templates', () => {
  it('does not HTML-escape and fails on a missing field', async () => {
    expect(await renderString('a = {{x}}', { x: `<&'">` })).toBe(`a = <&'">`);
    await expect(renderString('a = {{missing}}', {})).rejects.toThrow(/"missing" not defined/);
  });

  it('finds the .hbs files and renders the built-in [server:main] body', async () => {
    expect(templatesDirectory()).toMatch(/src\/templates$/);
    const text = await renderTemplate('wsgi-server-main', { fastListen: 'fast-', http_address: '0.0.0.0:8080', threads: '4', clear_untrusted_proxy_headers: 'false', max_request_body_size: '1', asyncore_use_poll: 'false' });
    expect(text).toBe('paste.server_factory = buildout_ts_wsgi.servers:server_factory\nuse = egg:buildout-ts-wsgi#main\nfast-listen = 0.0.0.0:8080\nthreads = 4\nclear_untrusted_proxy_headers = false\nmax_request_body_size = 1\nasyncore_use_poll = false\n');
  });
});
