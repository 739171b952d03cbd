using StackExchange.Redis;

namespace VideoNas.Silo;

/// <summary>
/// Redis connection options from a StackExchange.Redis string (<c>host:port[,ssl=true]</c>) and, kept out
/// of that string, the command line and logs, a password read from a file (a Docker or Kubernetes secret).
/// </summary>
public static class RedisSettings
{
    public static ConfigurationOptions Options(string redis, string? passwordFile)
    {
        var options = ConfigurationOptions.Parse(redis);
        if (passwordFile is null) return options;
        if (!File.Exists(passwordFile)) throw new FileNotFoundException($"{passwordFile}: the Redis password file does not exist", passwordFile);
        options.Password = File.ReadAllText(passwordFile).TrimEnd('\r', '\n');
        return options;
    }
}
