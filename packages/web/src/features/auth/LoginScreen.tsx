import { EmptyState } from '../../ui/states.tsx';

export default function LoginScreen() {
  return <EmptyState title="LoginScreen" />;
}
