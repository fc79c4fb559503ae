import { EmptyState } from '../../ui/states.tsx';

export default function BindScreen() {
  return <EmptyState title="BindScreen" />;
}
