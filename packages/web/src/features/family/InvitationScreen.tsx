import { EmptyState } from '../../ui/states.tsx';

export default function InvitationScreen() {
  return <EmptyState title="InvitationScreen" />;
}
