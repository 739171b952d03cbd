using StackExchange.Redis;

namespace VideoNas.Silo;

/// <summary>
/// Redis connection options from a StackExchange.Redis string (<c>host:port[,ssl=true]</c>) and, kept out
/// of that string, the command line and logs, a password read from a file (a Docker or Kubernetes secret).
/// </summary>
public static class RedisSettings
{
    /// <summary>The connection string fit to print: a password in it is masked.</summary>
    public static string WithoutPassword(string redis) =>
        System.Text.RegularExpressions.Regex.Replace(redis, "(?i)(password\\s*=)[^,]*", "$1***");

    public static ConfigurationOptions Options(string redis, string? passwordFile)
    {
        var options = ConfigurationOptions.Parse(redis);
        if (passwordFile is null) return options;
        if (!File.Exists(passwordFile)) throw new FileNotFoundException($"{passwordFile}: the Redis password file does not exist", passwordFile);
        options.Password = File.ReadAllText(passwordFile).TrimEnd('\r', '\n');
        return options;
    }
}
