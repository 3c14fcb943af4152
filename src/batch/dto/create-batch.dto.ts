import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMinSize, IsArray, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { NoNulCharacters } from '../../common/dto/no-nul-characters.js';

export class CreateBatchDto {
  @ApiProperty({
    type: [String],
    example: ['12345', '12346', '12347'],
    description:
      '1 to BATCH_MAX_SIZE (100) OS numbers matching the profile pattern; duplicates are merged.',
  })
  @MaxLength(64, { each: true })
  @IsString({ each: true })
  @ArrayMinSize(1)
  @IsArray()
  os_numbers!: string[];

  @ApiPropertyOptional({ example: 'Lote_Producao_2024', maxLength: 200 })
  @NoNulCharacters()
  @MaxLength(200)
  @MinLength(1)
  @IsString()
  @IsOptional()
  batch_name?: string;
}
