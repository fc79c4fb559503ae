import { EmptyState } from '../../ui/states.tsx';

export default function AccountScreen() {
  return <EmptyState title="AccountScreen" />;
}
