export * from './impact-report';
export * from './policy-impact';
