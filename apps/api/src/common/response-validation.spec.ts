import { Controller, HttpCode, Post, Get } from '@nestjs/common';
import { lastValueFrom, of } from 'rxjs';
import { z } from 'zod';
import type { ApiConfig } from '../config';
import { ResponseInvalidError } from './errors';
import { ApiZodResponse, declaredResponses } from './openapi';
import { ResponseValidationInterceptor, schemaFor } from './response-validation';

const thing = z.object({ id: z.string(), count: z.number().int() });
const accepted = z.object({ queued: z.boolean() });

@Controller('things')
class ThingsController {
  @Get()
  @ApiZodResponse(200, thing)
  one() {
    return undefined;
  }

  @Post()
  @HttpCode(202)
  @ApiZodResponse(200, thing)
  @ApiZodResponse(202, accepted)
  queue() {
    return undefined;
  }

  @Post('plain')
  plain() {
    return undefined;
  }
}

function run(validateResponses: boolean, handler: keyof ThingsController, method: string, value: unknown) {
  const interceptor = new ResponseValidationInterceptor({ validateResponses } as ApiConfig);
  const context = {
    getHandler: () => ThingsController.prototype[handler],
    getClass: () => ThingsController,
    switchToHttp: () => ({ getRequest: () => ({ method }) }),
  };
  return lastValueFrom(interceptor.intercept(context as never, { handle: () => of(value) }));
}

describe('response validation', () => {
  it('reads every schema a handler declares, in order', () => {
    expect(declaredResponses(ThingsController.prototype.queue).map((d) => d.status)).toEqual([202, 200]);
    expect(declaredResponses(ThingsController.prototype.plain)).toEqual([]);
  });

  it.each<[string, number[], number, number | undefined]>([
    ['the status answered', [200, 202], 202, 202],
    ['the only success answer, whatever the status', [200], 201, 200],
    ['none of several that does not match', [200, 202], 201, undefined],
    ['errors are not answers', [400], 400, undefined],
  ])('picks %s', (_name, statuses, status, expected) => {
    expect(schemaFor(statuses.map((s) => ({ status: s, schema: thing })), status)?.status).toBe(expected);
  });

  it('passes an answer that matches', async () => {
    await expect(run(true, 'one', 'GET', { id: 'a', count: 1 })).resolves.toEqual({ id: 'a', count: 1 });
  });

  it('checks the answer as JSON (dates become strings, undefined fields go)', async () => {
    const dated = z.object({ at: z.string(), note: z.string().optional() });
    class Dated {
      @ApiZodResponse(200, dated)
      get() {
        return undefined;
      }
    }
    const interceptor = new ResponseValidationInterceptor({ validateResponses: true } as ApiConfig);
    const context = { getHandler: () => Dated.prototype.get, getClass: () => Dated, switchToHttp: () => ({ getRequest: () => ({ method: 'GET' }) }) };
    await expect(lastValueFrom(interceptor.intercept(context as never, { handle: () => of({ at: new Date(0), note: undefined }) }))).resolves.toBeDefined();
  });

  it('fails loudly, naming the fields, when checking is on', async () => {
    const failure = run(true, 'one', 'GET', { id: 'a', count: 1.5, extra: true });
    await expect(failure).rejects.toBeInstanceOf(ResponseInvalidError);
    await expect(failure).rejects.toMatchObject({ statusCode: 500, error: 'response_invalid', issues: [expect.objectContaining({ path: 'response.count' })] });
  });

  it('uses the schema of the @HttpCode status', async () => {
    await expect(run(true, 'queue', 'POST', { queued: true })).resolves.toEqual({ queued: true });
    await expect(run(true, 'queue', 'POST', { id: 'a', count: 1 })).rejects.toBeInstanceOf(ResponseInvalidError);
  });

  it('logs and passes the answer when checking is off', async () => {
    const interceptor = new ResponseValidationInterceptor({ validateResponses: false } as ApiConfig);
    const warned = jest.spyOn(interceptor['logger'], 'warn').mockImplementation(() => undefined);
    const context = { getHandler: () => ThingsController.prototype.one, getClass: () => ThingsController, switchToHttp: () => ({ getRequest: () => ({ method: 'GET' }) }) };
    await expect(lastValueFrom(interceptor.intercept(context as never, { handle: () => of({ id: 1 }) }))).resolves.toEqual({ id: 1 });
    expect(warned).toHaveBeenCalledWith(expect.stringContaining('response.id'));
  });

  it('leaves a handler that declares nothing alone', async () => {
    await expect(run(true, 'plain', 'POST', { anything: 1 })).resolves.toEqual({ anything: 1 });
  });
});
