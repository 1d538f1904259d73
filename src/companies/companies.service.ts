// Companies are created whole: the company, its owner (a bookable user) and a first API key, in
// one transaction. Used by the first start, the /admin endpoint and the CLI.
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import type { ApiKeysService } from '../api-keys/api-keys.service.ts';
import { invalidField } from '../lib/app-error.ts';
import type { UsersService } from '../users/users.service.ts';

export interface CreateCompanyInput {
  name: string;
  ownerEmail?: string;
  ownerGivenName?: string;
  ownerFamilyName?: string;
  timezone?: string;
  /** Use this exact key (TERMIN_API_KEY) instead of generating one. */
  apiKey?: string;
}

export interface CreatedCompany {
  companyId: string;
  ownerUserId: string;
  apiKey: string;
}

export function createCompaniesService(deps: { db: Db; users: UsersService; apiKeys: ApiKeysService }) {
  const { db, users, apiKeys } = deps;

  async function create(input: CreateCompanyInput): Promise<CreatedCompany> {
    const name = input.name.trim();
    if (name.length === 0 || name.length > 200) throw invalidField('name', 'name must be 1 to 200 characters');
    return inTransaction(db, async (tx) => {
      const company = await tx.insertInto('companies').values({ name }).returning('id').executeTakeFirstOrThrow();
      const owner = await users.create(
        company.id,
        {
          email: input.ownerEmail ?? `owner-${randomBytes(4).toString('hex')}@termin.invalid`,
          givenName: input.ownerGivenName ?? 'Company',
          familyName: input.ownerFamilyName ?? 'Owner',
          timezone: input.timezone ?? 'UTC',
        },
        { role: 'owner', tx },
      );
      const key = await apiKeys.issue(company.id, { name: 'Owner key', token: input.apiKey }, tx);
      return { companyId: company.id, ownerUserId: owner.userId, apiKey: key.apiKey };
    });
  }

  /** True when no company exists yet: the first start bootstraps one. */
  async function isEmpty(): Promise<boolean> {
    return (await db.selectFrom('companies').select('id').limit(1).executeTakeFirst()) === undefined;
  }

  async function exists(id: string): Promise<boolean> {
    return (await db.selectFrom('companies').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
  }

  return { create, isEmpty, exists };
}

export type CompaniesService = ReturnType<typeof createCompaniesService>;
