using VideoNas.Silo;

namespace VideoNas.Tests;

public class RedisSettingsTests
{
    [Fact]
    public void ThePasswordComesFromTheFileWithoutItsLineEnd()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder["password"], "s3cret\n");
        var options = RedisSettings.Options("redis:6379,ssl=true", folder["password"]);
        Assert.Equal("s3cret", options.Password);
        Assert.True(options.Ssl);
        Assert.Null(RedisSettings.Options("redis:6379", null).Password);
    }

    [Fact]
    public void AMissingPasswordFileIsAUsageErrorNamingIt()
    {
        var r = CliProcess.Run("status", "any", "--redis", "127.0.0.1:1", "--redis-password-file", "/nonexistent/redis-password");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--redis-password-file: /nonexistent/redis-password: the Redis password file does not exist", r.Stderr);
    }
}
