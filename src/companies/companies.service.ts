// Companies are created whole: the company, its owner (a bookable user) and a first API key, in
// one transaction. Used by the first start, the /admin endpoint and the CLI.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db, Executor } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import type { ApiKeysService } from '../api-keys/api-keys.service.ts';
import { invalidField } from '../lib/app-error.ts';
import type { UsersService } from '../users/users.service.ts';

const BOOTSTRAP_LOCK = 7_238_114_002;

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

  async function create(input: CreateCompanyInput, executor?: Executor): Promise<CreatedCompany> {
    const name = input.name.trim();
    if (name.length === 0 || name.length > 200) throw invalidField('name', 'name must be 1 to 200 characters');
    const work = async (tx: Executor) => {
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
    };
    return executor ? work(executor) : inTransaction(db, work);
  }

  /**
   * Creates the first company when there is none. The advisory lock makes instances that start
   * together against one empty PostgreSQL create exactly one. `beforeCommit` runs inside the
   * transaction (the first start prints the key there): a process that dies before the key is
   * shown leaves no company behind, so the next start bootstraps again.
   */
  async function createFirst(
    input: CreateCompanyInput,
    beforeCommit: (created: CreatedCompany) => Promise<void> = async () => {},
  ): Promise<CreatedCompany | null> {
    return inTransaction(db, async (tx) => {
      await sql`SELECT pg_advisory_xact_lock(${BOOTSTRAP_LOCK})`.execute(tx);
      if (await tx.selectFrom('companies').select('id').limit(1).executeTakeFirst()) return null;
      const created = await create(input, tx);
      await beforeCommit(created);
      return created;
    });
  }

  async function exists(id: string): Promise<boolean> {
    return (await db.selectFrom('companies').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
  }

  return { create, createFirst, exists };
}

export type CompaniesService = ReturnType<typeof createCompaniesService>;
