package dev.idmint.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Lua script run atomically by Redis, with the SHA-1 digest Redis caches it under. Scripts are
 * sent with {@code EVALSHA}; when Redis answers {@code NOSCRIPT} (script cache flushed, server
 * restarted, failover) the source is sent once with {@code EVAL}, which caches it again.
 *
 * <p>Every script here reads Redis's clock with {@code TIME} before it writes. That needs effects
 * replication, the only mode since Redis 7 and the default since 5.0; {@link RedisCoordinator}
 * refuses older servers.
 */
record LuaScript(String name, String source, String sha1) {

  static LuaScript of(String name, String source) {
    return new LuaScript(name, source, sha1Hex(source));
  }

  private static String sha1Hex(String source) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-1");
      return HexFormat.of().formatHex(digest.digest(source.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK provides SHA-1", e);
    }
  }

  /** {@code now} in milliseconds by Redis's clock; the only clock that decides expiry. */
  private static final String NOW =
      """
      local time = redis.call('TIME')
      local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
      """;

  /**
   * Claims a worker in one atomic step.
   *
   * <p>KEYS[1] the fencing-token counter. ARGV: [1] worker key base ({@code <prefix>worker:}), [2]
   * owner, [3] ttl ms, [4] horizon to reserve, [5] first and [6] last worker number to consider,
   * [7] {@code 1} for a static worker (then first = last), else {@code 0}.
   *
   * <p>A worker is free when its claim key {@code <base><n>:claim} does not exist: never claimed,
   * released, or expired by Redis's clock (PX). Among free workers the one whose horizon is oldest
   * wins; a worker never claimed has none and wins at once; ties go to the lowest number. The claim
   * takes a new token, writes {@code owner|token} with PX ttl, and raises the persistent horizon in
   * {@code <base><n>} (a hash: horizon, token of the last claim, owner).
   *
   * <p>The token is the greater of the counter plus one and Redis's clock in microseconds, and is
   * stored back: unique and rising like a plain counter, and still rising if a failover or a
   * restart without persistence lost the counter (unless the new server's clock is behind), so an
   * old holder's token cannot come back and match somebody else's claim.
   *
   * <p>Replies {@code {1, worker, token, now, expiresAt, reservedUntil, previousHorizon}}, {@code
   * {0, holderOwner}} when the static worker is held, or {@code {-1}} when no worker in the range
   * is free.
   */
  static final LuaScript CLAIM =
      of(
          "claim",
          NOW
              + """
              local base, owner = ARGV[1], ARGV[2]
              local ttl, reserve = tonumber(ARGV[3]), tonumber(ARGV[4])
              local first, last = tonumber(ARGV[5]), tonumber(ARGV[6])
              local worker, previous = nil, 0
              if ARGV[7] == '1' then
                local holder = redis.call('GET', base .. first .. ':claim')
                if holder then
                  return {0, string.match(holder, '^(.*)|%d+$') or holder}
                end
                worker = first
                previous = tonumber(redis.call('HGET', base .. first, 'horizon') or '0')
              else
                for w = first, last do
                  if redis.call('EXISTS', base .. w .. ':claim') == 0 then
                    local horizon = redis.call('HGET', base .. w, 'horizon')
                    if not horizon then
                      worker, previous = w, 0
                      break
                    end
                    horizon = tonumber(horizon)
                    if worker == nil or horizon < previous then
                      worker, previous = w, horizon
                    end
                  end
                end
                if worker == nil then
                  return {-1}
                end
              end
              local micros = tonumber(time[1]) * 1000000 + tonumber(time[2])
              local token = math.max(tonumber(redis.call('GET', KEYS[1]) or '0') + 1, micros)
              token = string.format('%.0f', token)
              redis.call('SET', KEYS[1], token)
              local reserved = math.max(previous, reserve)
              redis.call('SET', base .. worker .. ':claim', owner .. '|' .. token, 'PX', ttl)
              redis.call('HSET', base .. worker, 'horizon', string.format('%.0f', reserved),
                  'token', token, 'owner', owner)
              return {1, worker, tonumber(token), now, now + ttl, reserved, previous}
              """);

  /**
   * Extends a claim and raises its horizon, if the worker is still held under the caller's token.
   *
   * <p>KEYS: [1] claim key, [2] worker hash. ARGV: [1] token, [2] owner, [3] ttl ms, [4] horizon to
   * reserve.
   *
   * <p>If the claim key holds the token, its PX is reset. If the key is gone (expired) but the
   * worker's last claim is still this token (no later claim replaced it, no release removed it),
   * nobody else can have issued with the worker, so the key is written again with the same token.
   * Otherwise the lease is lost. Replies {@code {1, now, expiresAt, reservedUntil}} or {@code
   * {-2}}.
   */
  static final LuaScript RENEW =
      of(
          "renew",
          NOW
              + """
              local ttl, reserve = tonumber(ARGV[3]), tonumber(ARGV[4])
              local holder = redis.call('GET', KEYS[1])
              if holder then
                if string.match(holder, '|(%d+)$') ~= ARGV[1] then
                  return {-2}
                end
                redis.call('PEXPIRE', KEYS[1], ttl)
              elseif redis.call('HGET', KEYS[2], 'token') == ARGV[1] then
                redis.call('SET', KEYS[1], ARGV[2] .. '|' .. ARGV[1], 'PX', ttl)
              else
                return {-2}
              end
              local previous = tonumber(redis.call('HGET', KEYS[2], 'horizon') or '0')
              local reserved = math.max(previous, reserve)
              if reserved > previous then
                redis.call('HSET', KEYS[2], 'horizon', string.format('%.0f', reserved))
              end
              return {1, now, now + ttl, reserved}
              """);

  /**
   * Reads Redis's clock and the highest horizon of a range of workers; writes nothing.
   *
   * <p>ARGV: [1] worker key base, [2] first and [3] last worker number. Replies {@code {now,
   * highestHorizon}} (0 when no worker in the range has one).
   */
  static final LuaScript TIME_AND_HORIZON =
      of(
          "time-and-horizon",
          """
          local base = ARGV[1]
          local highest = 0
          for n = tonumber(ARGV[2]), tonumber(ARGV[3]) do
            local horizon = tonumber(redis.call('HGET', base .. n, 'horizon') or '0')
            if horizon > highest then
              highest = horizon
            end
          end
          """
              + NOW
              + """
              return {now, highest}
              """);

  /**
   * Gives a worker up, if the caller's token still holds it; the horizon stays.
   *
   * <p>KEYS: [1] claim key, [2] worker hash. ARGV: [1] token. Deletes the claim key and forgets the
   * token as the worker's last claim, so that a later renewal under it fails. Replies {@code 1}.
   */
  static final LuaScript RELEASE =
      of(
          "release",
          """
          local holder = redis.call('GET', KEYS[1])
          if holder and string.match(holder, '|(%d+)$') == ARGV[1] then
            redis.call('DEL', KEYS[1])
          end
          if redis.call('HGET', KEYS[2], 'token') == ARGV[1] then
            redis.call('HDEL', KEYS[2], 'token')
          end
          return 1
          """);
}
