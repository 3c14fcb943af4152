import { Controller, Get, Header, NotFoundException, Param, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../auth/decorators/roles.decorator.js';
import { ErrorDto } from '../common/dto/error.dto.js';
import { IdParam } from '../common/dto/id-param.dto.js';
import { PaginationQueryDto } from '../common/dto/pagination-query.dto.js';
import { FailureSnapshots, snapshotLink } from '../scraping/snapshots/failure-snapshots.service.js';
import type { ScrapeSnapshot } from '../scraping/snapshots/scrape-snapshot.entity.js';
import { SnapshotDto, SnapshotListDto } from './dto/snapshot.dto.js';

function toDto(snapshot: ScrapeSnapshot, hasScreenshot: boolean): SnapshotDto {
  const link = snapshotLink(snapshot.id);
  return {
    id: snapshot.id,
    created_at: snapshot.createdAt.toISOString(),
    os_number: snapshot.osNumber,
    batch_id: snapshot.batchId,
    path: snapshot.path,
    attempts: snapshot.attempts,
    url: snapshot.url,
    http_status: snapshot.httpStatus,
    error_code: snapshot.errorCode,
    error_message: snapshot.errorMessage,
    html_bytes: snapshot.htmlBytes,
    html_truncated: snapshot.htmlTruncated,
    html_url: `${link}/html`,
    screenshot_url: hasScreenshot ? `${link}/screenshot` : null,
    diagnostics: snapshot.diagnostics,
  };
}

/**
 * The pages OS failed on (failure snapshots), for whoever maintains the target profile. The HTML
 * is served as plain text: it is the target's page, and must never run in the service's origin.
 */
@ApiTags('admin: scraping')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorDto })
@ApiForbiddenResponse({ type: ErrorDto, description: 'The caller is not an admin.' })
@Roles('admin')
@Controller('admin/scraping/snapshots')
export class SnapshotsController {
  constructor(private readonly snapshots: FailureSnapshots) {}

  @Get()
  @ApiOperation({ summary: 'The latest failure snapshots, newest first' })
  @ApiOkResponse({ type: SnapshotListDto })
  async list(@Query() { page, page_size }: PaginationQueryDto): Promise<SnapshotListDto> {
    const [rows, total] = await this.snapshots.recent(page, page_size);
    const withScreenshot = await this.snapshots.hasScreenshot(rows.map((row) => row.id));
    return {
      items: rows.map((row) => toDto(row, withScreenshot.has(row.id))),
      total,
      page,
      page_size,
    };
  }

  @Get(':id')
  @ApiOperation({ summary: 'A failure snapshot: the OS, path, error and where its page is' })
  @ApiOkResponse({ type: SnapshotDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  async get(@Param() { id }: IdParam): Promise<SnapshotDto> {
    const snapshot = await this.found(id);
    return toDto(snapshot, (await this.snapshots.hasScreenshot([id])).has(id));
  }

  @Get(':id/html')
  @ApiOperation({
    summary: 'The page as read (scrubbed, possibly cut), as text/plain so that it never runs',
  })
  @ApiOkResponse({
    description: 'The HTML source.',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  @ApiNotFoundResponse({ type: ErrorDto })
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Content-Security-Policy', "sandbox; default-src 'none'")
  async html(@Param() { id }: IdParam, @Res() response: Response): Promise<void> {
    const snapshot = await this.found(id);
    const html = await this.snapshots.html(id);
    response
      .type('text/plain; charset=utf-8')
      .setHeader(
        'Content-Disposition',
        `inline; filename="os-${snapshot.osNumber}-${snapshot.path}.html"`,
      );
    response.send(html ?? '');
  }

  @Get(':id/screenshot')
  @ApiOperation({ summary: 'The screenshot of the page (PNG), when it came from a browser path' })
  @ApiOkResponse({
    description: 'PNG image.',
    content: { 'image/png': { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiNotFoundResponse({
    type: ErrorDto,
    description: 'No such snapshot, or it has no screenshot.',
  })
  @Header('X-Content-Type-Options', 'nosniff')
  async screenshot(@Param() { id }: IdParam, @Res() response: Response): Promise<void> {
    await this.found(id);
    const png = await this.snapshots.screenshot(id);
    if (!png)
      throw new NotFoundException(`snapshot ${id} has no screenshot (it came from the HTTP path)`);
    response.type('image/png').send(png);
  }

  private async found(id: string): Promise<ScrapeSnapshot> {
    const snapshot = await this.snapshots.find(id);
    if (!snapshot) throw new NotFoundException(`no snapshot ${id}`);
    return snapshot;
  }
}
