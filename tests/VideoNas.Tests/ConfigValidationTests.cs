using System.Reflection;
using System.Text.Json;
using VideoNas.Core.Training;

namespace VideoNas.Tests;

/// <summary>Every field of the search and training configs, each out of its range once: refused, naming the field.</summary>
public class ConfigValidationTests
{
    private static readonly (string Field, string Value)[] InputOutOfRange =
    [
        ("segments", "0"), ("frames_per_segment", "0"), ("frame_stride", "0"), ("resolution", "8"), ("short_side", "10"),
        ("decode_workers", "-1"), ("decode_cache_mb", "-1"), ("decode_cache_dir_mb", "-1"), ("prefetch_batches", "-1"),
    ];

    private static readonly (string Field, string Value)[] SearchOutOfRange =
    [
        ("primitives", "null"), ("primitives", "[\"none\"]"), ("steps", "0"), ("init_channels", "3"), ("layers", "0"), ("stem_multiplier", "0"),
        ("stem_temporal_kernel", "2"), ("batch_size", "0"), ("epochs", "0"), ("steps_per_epoch", "-1"), ("weight_lr", "0"),
        ("weight_lr_min", "-0.001"), ("weight_momentum", "1"), ("weight_decay", "-0.1"), ("grad_clip", "0"), ("arch_lr", "-1"),
        ("arch_beta1", "1"), ("arch_beta2", "-0.5"), ("arch_weight_decay", "-1"), ("hessian_step", "0"), ("partial_channels", "3"),
        ("normalization", "\"group\""), ("max_skip_connects", "-1"), ("stop_when_stable_epochs", "-1"), ("warmup_epochs", "51"),
        ("max_bad_clip_fraction", "1.5"), ("replica_check_every", "-1"), ("checkpoint_every", "-1"), ("reduce_bucket_mb", "-1"),
        .. InputOutOfRange,
    ];

    private static readonly (string Field, string Value)[] TrainOutOfRange =
    [
        ("epochs", "0"), ("batch_size", "0"), ("lr", "0"), ("lr_min", "-1"), ("momentum", "1"), ("weight_decay", "-1"), ("grad_clip", "-5"),
        ("test_clips", "0"), ("channels", "3"), ("layers", "0"), ("stem_temporal_kernel", "2"), ("stem_multiplier", "0"), ("drop_path", "1"),
        ("auxiliary_weight", "-1"),
        ("width", "0"), .. InputOutOfRange,
    ];

    /// <summary>Fields any value of their type is right for.</summary>
    private static readonly string[] Unconstrained = ["seed", "reduce_time", "second_order", "edge_normalization", "single_path", "fused_edges", "multi_scale_crop", "flip", "decode_cache", "decode_cache_dir"];

    public static TheoryData<string, string> SearchCases => Cases(SearchOutOfRange);

    public static TheoryData<string, string> TrainCases => Cases(TrainOutOfRange);

    [Theory]
    [MemberData(nameof(SearchCases))]
    public void ASearchFieldOutOfItsRangeIsRefusedByName(string field, string value)
    {
        var e = Assert.Throws<Core.ConfigException>(() => SearchConfig.FromJson($"{{\"{field}\": {value}}}", "search.json"));
        Assert.StartsWith($"search.json: \"{field}\" ", e.Message);
    }

    [Theory]
    [MemberData(nameof(TrainCases))]
    public void ATrainingFieldOutOfItsRangeIsRefusedByName(string field, string value)
    {
        var config = JsonSerializer.Deserialize<TrainConfig>($"{{\"{field}\": {value}}}", SearchConfig.Json)!;
        var e = Assert.Throws<Core.ConfigException>(() => config.Validated("train.json"));
        Assert.StartsWith($"train.json: \"{field}\" ", e.Message);
    }

    [Theory]
    [InlineData("{\"epoch\": 2}", "search.json: unknown field \"epoch\" (line 1); the fields are arch_beta1, arch_beta2, arch_lr,")]
    [InlineData("{\n  \"epochs\": \"ten\"\n}", "search.json: \"epochs\" (line 2) must be a whole number")]
    [InlineData("{\"second_order\": 1}", "search.json: \"second_order\" (line 1) must be true or false")]
    [InlineData("{\"weight_lr\": \"fast\"}", "search.json: \"weight_lr\" (line 1) must be a number")]
    [InlineData("{\"primitives\": 3}", "search.json: \"primitives\" (line 1) must be a list")]
    [InlineData("{\"epochs\": 2", "search.json: not valid JSON (line 1, column 13)")]
    [InlineData("null", "search.json: empty; give a JSON object of fields")]
    [InlineData("{\"primitives\": [\"none\", \"conv_9x9x9\"]}", "search.json: \"primitives\" has the unknown operation \"conv_9x9x9\"; the operations are none, skip_connect,")]
    public void AConfigThatCannotBeReadIsSaidInTheProjectsWords(string json, string message)
    {
        var e = Assert.Throws<Core.ConfigException>(() => SearchConfig.FromJson(json, "search.json"));
        Assert.StartsWith(message, e.Message);
        Assert.DoesNotContain("VideoNas.", e.Message);
        Assert.DoesNotContain("System.", e.Message);
    }

    [Fact]
    public void APartialFileChangesOnlyTheFieldsItNames()
    {
        var defaults = new SearchConfig { Layers = 3, Resolution = 32, Epochs = 10, ArchLr = 3e-3 };
        var overlaid = SearchConfig.FromJson("{\"epochs\": 2, \"layers\": 4}", "demo.json", defaults);
        Assert.Equal(defaults with { Epochs = 2, Layers = 4 }, overlaid with { Primitives = defaults.Primitives });
        Assert.Equal(defaults.Primitives, overlaid.Primitives);
        // The file's own problems keep its line numbers; the merged result is still validated.
        var unknown = Assert.Throws<Core.ConfigException>(() => SearchConfig.FromJson("{\n\"epoch\": 2}", "demo.json", defaults));
        Assert.StartsWith("demo.json: unknown field \"epoch\" (line 2)", unknown.Message);
        var invalid = Assert.Throws<Core.ConfigException>(() => SearchConfig.FromJson("{\"warmup_epochs\": 11}", "demo.json", defaults));
        Assert.StartsWith("demo.json: \"warmup_epochs\" must be between 0 and epochs (10)", invalid.Message);
    }

    [Fact]
    public void StepsThatOverflowAreRefused()
    {
        var e = Assert.Throws<Core.ConfigException>(() => SearchConfig.FromJson("{\"steps_per_epoch\": 100000, \"epochs\": 100000}", "search.json"));
        Assert.Contains("\"epochs\" times steps_per_epoch", e.Message);
    }

    [Fact]
    public void TheDefaultsPassAndEveryFieldIsInTheTableOrFreeOfBounds()
    {
        SearchConfig.FromJson("{}");
        new TrainConfig().Validated();
        AssertCovered(typeof(SearchConfig), SearchOutOfRange);
        AssertCovered(typeof(TrainConfig), TrainOutOfRange);
    }

    /// <summary>A new field fails here until it is given a range (and a row) or listed as unconstrained.</summary>
    private static void AssertCovered(Type config, (string Field, string Value)[] table)
    {
        var fields = config.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is not null)
            .Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name));
        Assert.Empty(fields.Except(table.Select(t => t.Field)).Except(Unconstrained));
    }

    private static TheoryData<string, string> Cases((string Field, string Value)[] table)
    {
        var data = new TheoryData<string, string>();
        foreach (var (field, value) in table) data.Add(field, value);
        return data;
    }
}
