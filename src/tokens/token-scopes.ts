// What a personal access token may call (spec §1.2), decided from the route alone so that every
// route — including ones added later — is covered without declaring anything. Pure.
//
// Capability groups follow meetergo's token settings: scheduling, crm (contacts & deals), mira,
// forms, account. A token without scopes holds every group. Whatever a token's scopes, it can
// never create, update or delete users nor manage credentials (API keys, tokens).

export const TOKEN_SCOPES = ['scheduling', 'crm', 'mira', 'forms', 'account'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** `scope: null`: any live token may call (who-am-I). */
export type TokenRule = { scope: TokenScope | null } | { refused: string };

export const CREDENTIALS_REFUSED = 'Personal access tokens cannot manage credentials (API keys, personal access tokens)';
export const USERS_REFUSED = 'Personal access tokens cannot create, update or delete users';

/** `routeUrl` is the route's pattern (`/v4/user/:id`), not the requested path. */
export function tokenRule(method: string, routeUrl: string): TokenRule {
  const path = routeUrl.toLowerCase();
  if (path.startsWith('/v4/api-key') || path.startsWith('/v4/personal-access-token')) {
    return { refused: CREDENTIALS_REFUSED };
  }
  if (path === '/v4/user' || path.startsWith('/v4/user/')) {
    const readsOnly = method === 'GET' || method === 'HEAD';
    if (!readsOnly) return { refused: USERS_REFUSED };
    // Clients check a token with "who am I" before anything else; any token may ask it.
    return { scope: path === '/v4/user/me' ? null : 'account' };
  }
  if (path.startsWith('/webhooks') || path.startsWith('/v4/webhooks')) return { scope: 'account' };
  if (path.startsWith('/crm') || path.startsWith('/v4/crm')) return { scope: 'crm' };
  if (path.startsWith('/v4/form')) return { scope: 'forms' };
  return { scope: 'scheduling' };
}

/** The 403 message for a token lacking `scope`, or undefined when it may call. */
export function scopeRefusal(scopes: readonly string[] | null, rule: TokenRule): string | undefined {
  if ('refused' in rule) return rule.refused;
  if (rule.scope === null || scopes === null || scopes.includes(rule.scope)) return undefined;
  return `This personal access token lacks the "${rule.scope}" scope`;
}
