/** The Traefik Middleware that maps `ingressPath` to `containerPath` (rule in path-rewrite.ts). */
import { Construct } from 'constructs';
import { TraefikMiddleware, type TraefikMiddlewareSpec } from '../lib/traefik-middleware.js';
import type { PathRewrite } from './path-rewrite.js';

export interface PathRewriteMiddlewareProps {
  /** Middleware name (resolveServer()'s `middlewareName`). No default. */
  readonly name: string;
  /** The server's namespace (a router can only refer to it as `<namespace>-<name>`). No default. */
  readonly namespace: string;
  /** Labels of the server. Default: none. */
  readonly labels?: Readonly<Record<string, string>>;
  /** A `strip` or `replace` rewrite; `none` needs no Middleware and is rejected. */
  readonly rewrite: PathRewrite;
}

export class PathRewriteMiddleware extends Construct {
  constructor(scope: Construct, id: string, props: PathRewriteMiddlewareProps) {
    super(scope, id);
    new TraefikMiddleware(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace, labels: { ...props.labels } },
      spec: middlewareSpec(props.rewrite),
    });
  }
}

export function middlewareSpec(rewrite: PathRewrite): TraefikMiddlewareSpec {
  switch (rewrite.kind) {
    case 'strip':
      return { stripPrefix: { prefixes: [rewrite.prefix] } };
    case 'replace':
      return { replacePathRegex: { regex: rewrite.regex, replacement: rewrite.replacement } };
    case 'none':
      throw new Error('a path rewrite of kind "none" needs no Middleware');
  }
}
