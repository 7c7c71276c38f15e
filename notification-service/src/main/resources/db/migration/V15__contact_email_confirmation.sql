-- A subscription's contact address (where notices of a failing or disabled endpoint go) is mailed nothing but its
-- confirmation link until it follows it: the address is named by a team's token, not by its owner. Changing the
-- address clears the column again. Addresses given before this check existed keep their notices: they count as
-- confirmed when the subscription was created.
alter table subscription add column contact_email_confirmed_at timestamptz;
update subscription set contact_email_confirmed_at = created_at where contact_email is not null;
