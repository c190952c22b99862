import { describe, expect, it } from 'vitest';
import { serverAddresses, serverSection } from './listen.js';

const ini = (main: string) => `[server:main]\n${main}\n\n[app:zope]\nuse = egg:Zope#main\nport = 1\n`;

describe('where a written wsgi.ini listens', () => {
  it('follows the launcher: fast-listen/listen lists, bjoern one listen, host/port, gunicorn bind', () => {
    expect(serverAddresses(ini('use = egg:buildout-ts-wsgi#main\nfast-listen = 127.0.0.1:8081 [::1]:8081'))).toEqual([{ host: '127.0.0.1', port: 8081 }, { host: '::1', port: 8081 }]);
    expect(serverAddresses(ini('use = egg:waitress#main\nlisten = 0.0.0.0:8080'))).toEqual([{ host: '', port: 8080 }]);
    expect(serverAddresses(ini('use = egg:dataflake.wsgi.bjoern#main\nlisten = 127.0.0.1:8082\nreuse_port = True'))).toEqual([{ host: '127.0.0.1', port: 8082 }]);
    expect(serverAddresses(ini('use = egg:dataflake.wsgi.cheroot#main\nhost = 127.0.0.1\nport = 8080'))).toEqual([{ host: '127.0.0.1', port: 8080 }]);
    expect(serverAddresses(ini('use = egg:dataflake.wsgi.werkzeug#main\nhostname = 0.0.0.0\nport = 9000'))).toEqual([{ host: '', port: 9000 }]);
    expect(serverAddresses(ini('use = egg:gunicorn#main\nbind = 127.0.0.1:8001,127.0.0.1:8002'))).toEqual([{ host: '127.0.0.1', port: 8001 }, { host: '127.0.0.1', port: 8002 }]);
    expect(serverAddresses(ini('use = egg:gunicorn#main'))).toEqual([{ host: '127.0.0.1', port: 8000 }]);
  });

  it('reads continuation lines and comments as configparser does; gives up on interpolation', () => {
    expect(serverSection('[server:main]\n# a comment\nuse = egg:waitress#main\nlisten =\n    127.0.0.1:1\n    127.0.0.1:2\n')).toEqual({ use: 'egg:waitress#main', listen: '\n127.0.0.1:1\n127.0.0.1:2' });
    expect(serverAddresses('[server:main]\nuse = egg:waitress#main\nlisten =\n    127.0.0.1:1\n    127.0.0.1:2\n')).toHaveLength(2);
    expect(serverAddresses(ini('use = egg:waitress#main\nlisten = %(http_address)s'))).toBeUndefined();
    expect(serverAddresses('[app:main]\nuse = egg:Zope#main\n')).toBeUndefined();
  });
});
