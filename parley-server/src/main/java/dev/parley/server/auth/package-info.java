/**
 * Who may join a group and with which permissions (spec sections D, C.6, B.13).
 *
 * <p>Entry points: {@link dev.parley.server.auth.Authoriser} decides joins (passwords, JWTs,
 * stateful tokens); {@link dev.parley.server.auth.TokenStore} owns the tokens file;
 * {@link dev.parley.server.auth.TokenCommands} answers {@code maketoken}, {@code edittoken} and
 * {@code listtokens}; {@link dev.parley.server.auth.UserDescription},
 * {@link dev.parley.server.auth.Password} and {@link dev.parley.server.auth.Permissions} decode the
 * {@code users}/{@code wildcard-user} parts of group descriptions.
 */
package dev.parley.server.auth;
