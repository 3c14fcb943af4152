import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class ScrapeOsDto {
  @ApiProperty({
    example: '12345',
    description: "An OS number matching the target profile's pattern.",
  })
  @MaxLength(64)
  @MinLength(1)
  @IsString()
  os_number!: string;
}
