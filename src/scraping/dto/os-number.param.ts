import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';

export class OsNumberParam {
  @ApiProperty({ example: '12345' })
  @MaxLength(64)
  @IsString()
  os_number!: string;
}

export class RefreshQuery {
  @ApiPropertyOptional({ description: 'Also enqueue a fresh scrape of this OS.' })
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean()
  @IsOptional()
  refresh?: boolean;
}
