import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
} from '@nestjs/common';
import type { Response } from 'express';
import { STATUS_CODES } from 'node:http';

interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  [extra: string]: unknown;
}

/**
 * Turns every error into `{statusCode, error, message}`. Client errors keep their message;
 * anything unexpected is logged with its stack and answered as a plain 500.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Exceptions');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    if (response.headersSent) {
      response.end();
      return;
    }
    const retryAfter = body.retry_after;
    if (typeof retryAfter === 'number') response.setHeader('Retry-After', String(retryAfter));
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof HttpException) return fromHttpException(exception);
    const status = clientErrorStatus(exception);
    if (status) {
      // Errors raised by Express middleware (body too large, malformed body...).
      return {
        statusCode: status,
        error: STATUS_CODES[status] ?? 'Error',
        message: (exception as Error).message,
      };
    }
    this.logger.error(
      exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
    );
    return { statusCode: 500, error: 'Internal Server Error', message: 'internal server error' };
  }
}

function fromHttpException(exception: HttpException): ErrorBody {
  const statusCode = exception.getStatus();
  const error = STATUS_CODES[statusCode] ?? 'Error';
  const raw = exception.getResponse();
  if (typeof raw === 'string') return { statusCode, error, message: raw };
  const {
    message,
    error: rawError,
    statusCode: _ignored,
    ...extra
  } = raw as Record<string, unknown>;
  const messages = Array.isArray(message) ? message.map(String) : undefined;
  return {
    ...extra,
    statusCode,
    error: typeof rawError === 'string' ? rawError : error,
    message: messages
      ? messages.join('; ')
      : typeof message === 'string'
        ? message
        : exception.message,
    ...(messages && messages.length > 1 ? { details: messages } : {}),
  };
}

function clientErrorStatus(exception: unknown): number | undefined {
  const status = (exception as { status?: unknown; statusCode?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}
