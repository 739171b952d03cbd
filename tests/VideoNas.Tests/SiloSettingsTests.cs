using VideoNas.Silo;

namespace VideoNas.Tests;

/// <summary>Settings a silo reads at start: Redis' password file and the address it advertises.</summary>
public class SiloSettingsTests
{
    [Fact]
    public void AutoAdvertisesThisHostsOwnAddressAndAnythingElseMustBeAnAddress()
    {
        var auto = AdvertisedAddress.Parse("auto");
        Assert.Equal(System.Net.Sockets.AddressFamily.InterNetwork, auto.AddressFamily);
        Assert.False(System.Net.IPAddress.IsLoopback(auto));
        Assert.Equal(System.Net.IPAddress.Parse("10.1.2.3"), AdvertisedAddress.Parse("10.1.2.3"));
        var e = Assert.Throws<ArgumentException>(() => AdvertisedAddress.Parse("silo-0"));
        Assert.Contains("VideoNas:AdvertisedIP: \"silo-0\"", e.Message);
    }

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
    public void APasswordInTheConnectionStringIsNeverPrinted()
    {
        Assert.Equal("redis:6379,password=***,ssl=true", RedisSettings.WithoutPassword("redis:6379,password=hunter2,ssl=true"));
        var r = CliProcess.Run("status", "any", "--redis", "127.0.0.1:1,password=hunter2,connectTimeout=500");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("through Redis at 127.0.0.1:1,password=***,connectTimeout=500", r.Stderr);
        Assert.DoesNotContain("hunter2", r.Stdout + r.Stderr);
    }

    [Fact]
    public void AMissingPasswordFileIsAUsageErrorNamingIt()
    {
        var r = CliProcess.Run("status", "any", "--redis", "127.0.0.1:1", "--redis-password-file", "/nonexistent/redis-password");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--redis-password-file: /nonexistent/redis-password: the Redis password file does not exist", r.Stderr);
    }
}
