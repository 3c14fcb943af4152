import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class DeliveryParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('4', { message: 'id must be a UUID' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID('4', { message: 'delivery_id must be a UUID' })
  delivery_id!: string;
}
