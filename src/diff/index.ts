export * from './diff-report';
export * from './policy-diff';
