using System.Text.Json;
using VideoNas.Core.Search;
using VideoNas.Nas.Supernet;

namespace VideoNas.Nas.Search;

/// <summary>
/// One forward and backward of the supernet, written out for an outside cross-check (benchmarks/pytorch/crosscheck.py):
/// the config, every parameter (name, shape, values, in registration order), a batch of random clips and labels,
/// the cross-entropy loss and the gradient of every parameter. Small configs only: it is JSON.
/// </summary>
public static class StepExport
{
    public static void Write(SearchConfig config, int classes, string path)
    {
        using var scope = NewDisposeScope();
        using var net = new SearchNetwork(config, classes);
        SeededInit.Apply(net, config.Seed);
        net.train();
        using var batch = ClipBatch.Random(config, config.BatchSize, classes, (ulong)config.Seed + 1);
        var (clips, labels) = (batch.Clips, batch.Labels);
        var loss = nn.functional.cross_entropy(net.call(clips), labels);
        loss.backward();

        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream);
        json.WriteStartObject();
        json.WriteString("config", config.ToJson());
        json.WriteNumber("classes", classes);
        WriteTensor(json, "clips", clips);
        json.WriteStartArray("labels");
        foreach (long label in labels.data<long>()) json.WriteNumberValue(label);
        json.WriteEndArray();
        json.WriteNumber("loss", loss.item<float>());
        json.WriteStartArray("parameters");
        foreach (var (name, p) in net.named_parameters())
        {
            json.WriteStartObject();
            json.WriteString("name", name);
            WriteTensor(json, "value", p);
            if (p.grad is { } grad) WriteTensor(json, "grad", grad);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteTensor(Utf8JsonWriter json, string field, Tensor t)
    {
        json.WriteStartObject(field);
        json.WriteStartArray("shape");
        foreach (long d in t.shape) json.WriteNumberValue(d);
        json.WriteEndArray();
        json.WriteStartArray("data");
        foreach (float v in TensorBytes.ToFloats(t)) json.WriteNumberValue(v);
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
