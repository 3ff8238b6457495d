import {
  type ChangePasswordRequest,
  changePasswordRequestSchema,
  type LoginRequest,
  loginRequestSchema,
  meSchema,
  type RefreshRequest,
  refreshRequestSchema,
  sessionSchema,
} from '@cairn/contracts';
import { Controller, Get, HttpCode, Inject, Post, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponse, ApiNoContent, ApiZodBody, ApiZodResponse } from '../common/openapi';
import { ZodBody } from '../common/validation';
import { CurrentPrincipal, CurrentRequest, Public, SignedIn } from './access.decorators';
import { AuthService } from './auth.service';
import type { RequestMeta, RequestPrincipal } from './principal';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(@Inject(AuthService) private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with email and password: a short-lived access token (send it as Authorization: Bearer) and a refresh token' })
  @ApiZodBody(loginRequestSchema)
  @ApiZodResponse(200, sessionSchema, 'Signed in')
  @ApiErrorResponse(401, 'The email or password is not right (the same answer whatever the reason)')
  @ApiErrorResponse(429, 'Too many failed sign-ins for this email from this address; Retry-After says when to try again')
  login(@ZodBody(loginRequestSchema) body: LoginRequest, @CurrentRequest() meta: RequestMeta) {
    return this.auth.login(body, meta);
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Trade a refresh token for a new access token and a new refresh token (the old one stops working)' })
  @ApiZodBody(refreshRequestSchema)
  @ApiZodResponse(200, sessionSchema, 'Refreshed')
  @ApiErrorResponse(401, 'The refresh token is unknown, used, expired or signed out')
  refresh(@ZodBody(refreshRequestSchema) { refreshToken }: RefreshRequest) {
    return this.auth.refresh(refreshToken);
  }

  @Post('logout')
  @Public()
  @HttpCode(204)
  @ApiNoContent('Signed out: the sign-in and its access tokens end')
  @ApiOperation({ summary: 'Sign out: the refresh token and the access tokens of its sign-in stop working' })
  @ApiZodBody(refreshRequestSchema)
  async logout(@ZodBody(refreshRequestSchema) { refreshToken }: RefreshRequest, @CurrentRequest() meta: RequestMeta): Promise<void> {
    await this.auth.logout(refreshToken, meta);
  }

  @Get('me')
  @SignedIn()
  @ApiOperation({ summary: 'Who the request is made as (a person or an API token) and the permissions it holds' })
  @ApiZodResponse(200, meSchema)
  me(@CurrentPrincipal() principal: RequestPrincipal) {
    return this.auth.me(principal);
  }

  @Put('password')
  @SignedIn()
  @HttpCode(204)
  @ApiNoContent('Changed: the person’s other sign-ins end')
  @ApiOperation({ summary: 'Change your own password; your other sign-ins end' })
  @ApiZodBody(changePasswordRequestSchema)
  @ApiErrorResponse(400, 'The current password is not right (`body.currentPassword`), or the new one is too short')
  @ApiErrorResponse(403, 'An API token has no password')
  async changePassword(@CurrentPrincipal() principal: RequestPrincipal, @ZodBody(changePasswordRequestSchema) body: ChangePasswordRequest, @CurrentRequest() meta: RequestMeta): Promise<void> {
    await this.auth.changePassword(principal, body, meta);
  }
}
