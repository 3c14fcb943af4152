import { CreateUsers1764316800000 } from './1764316800000-CreateUsers.js';
import { CreateUsageStats1764316900000 } from './1764316900000-CreateUsageStats.js';
import { CreateScrapingTables1764317000000 } from './1764317000000-CreateScrapingTables.js';
import { CreateBatchTables1764317100000 } from './1764317100000-CreateBatchTables.js';
import { CreateStatsAdminTables1764317200000 } from './1764317200000-CreateStatsAdminTables.js';
import { AddHourlyUsageRollup1764317300000 } from './1764317300000-AddHourlyUsageRollup.js';
import { AddUsageHistograms1764317400000 } from './1764317400000-AddUsageHistograms.js';
import { AddForbiddenOutcome1764318120000 } from './1764318120000-AddForbiddenOutcome.js';
import { CreateScrapeSnapshots1764318130000 } from './1764318130000-CreateScrapeSnapshots.js';
import { AddScrapedOrdersChangeIndex1764590400000 } from './1764590400000-AddScrapedOrdersChangeIndex.js';
import { CreateWebhooks1764590500000 } from './1764590500000-CreateWebhooks.js';
import { UnifyTasks1764700000000 } from './1764700000000-UnifyTasks.js';

/** Every migration, oldest first. A new migration file is added here too. */
export const migrations = [
  CreateUsers1764316800000,
  CreateUsageStats1764316900000,
  CreateScrapingTables1764317000000,
  CreateBatchTables1764317100000,
  CreateStatsAdminTables1764317200000,
  AddHourlyUsageRollup1764317300000,
  AddUsageHistograms1764317400000,
  AddForbiddenOutcome1764318120000,
  CreateScrapeSnapshots1764318130000,
  AddScrapedOrdersChangeIndex1764590400000,
  CreateWebhooks1764590500000,
  UnifyTasks1764700000000,
];
