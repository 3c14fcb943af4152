import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/decorators/public.decorator.js';

/** `src/admin/page` under Vitest, `dist/admin/page` once built (nest-cli copies it as assets). */
export const ADMIN_PAGE_DIR = join(import.meta.dirname, 'page');

/** Chart.js as shipped: its package exports no subpaths, so found beside its entry point. */
const CHART_JS = join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.js');

/** The files the page loads, by the name it asks for; nothing else is served. */
const STATIC_FILES: Record<string, { path: string; type: string }> = {
  'admin.js': { path: join(ADMIN_PAGE_DIR, 'admin.js'), type: 'text/javascript' },
  'admin.css': { path: join(ADMIN_PAGE_DIR, 'admin.css'), type: 'text/css' },
  'chart.umd.js': { path: CHART_JS, type: 'text/javascript' },
};

/**
 * The admin page at `/admin`: static files with no build step. The page itself holds no data;
 * everything it shows comes from the admin API with the admin's token, so it is public.
 */
@ApiExcludeController()
@Public()
@Controller('admin')
export class AdminPageController {
  @Get()
  page(@Res() response: Response): void {
    response.sendFile(join(ADMIN_PAGE_DIR, 'index.html'), {
      headers: { 'Cache-Control': 'no-cache' },
    });
  }

  @Get('static/:file')
  asset(@Param('file') file: string, @Res() response: Response): void {
    const asset = Object.hasOwn(STATIC_FILES, file) ? STATIC_FILES[file] : undefined;
    if (!asset) throw new NotFoundException(`Cannot GET /admin/static/${file}`);
    response.type(asset.type);
    response.sendFile(asset.path, { headers: { 'Cache-Control': 'no-cache' } });
  }
}
