import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ErrorDto } from '../common/dto/error.dto.js';
import { OsChangesPageDto } from './dto/os-changes.dto.js';
import { OsChangesQuery } from './dto/os-changes.query.js';
import { OsChangesService } from './os-changes.service.js';

@ApiTags('desenvolvimento: single OS')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ErrorDto })
@Controller('desenvolvimento')
export class OsChangesController {
  constructor(private readonly changes: OsChangesService) {}

  @Get('os')
  @ApiOperation({
    summary: 'The change feed: stored OS whose content changed, oldest change first',
    description:
      'Start with `changed_since`, then follow `next_cursor` while `has_more`; poll later with the last ' +
      '`next_cursor` for newer changes. An OS appears once, at its latest version; changes of the last ' +
      'few seconds show up on the next poll.',
  })
  @ApiOkResponse({ type: OsChangesPageDto })
  @ApiBadRequestResponse({ type: ErrorDto })
  list(@Query() query: OsChangesQuery): Promise<OsChangesPageDto> {
    return this.changes.page(query.changed_since, query.cursor, query.limit);
  }
}
