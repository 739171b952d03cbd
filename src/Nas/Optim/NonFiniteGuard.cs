using System.Globalization;
namespace VideoNas.Nas.Optim;

/// <summary>
/// A NaN or Inf loss or gradient, caught before an optimiser used it. An <see cref="ArithmeticException"/>
/// so that it keeps its type across grain calls and a trial fails at once instead of retrying.
/// </summary>
public sealed class NonFiniteValueException(string message) : ArithmeticException(message);

/// <summary>
/// Stops training on the first non-finite loss or gradient, naming the phase and the first parameter
/// (by module path) whose gradient is not finite: once NaN reaches a weight it never leaves.
/// </summary>
public sealed class NonFiniteGuard
{
    private readonly Dictionary<IntPtr, string> _names;
    private readonly nn.Module _model;
    private readonly Func<string> _advice;

    /// <param name="advice">What to try, said at the end of the error (read when it is thrown, so it can name current settings).</param>
    public NonFiniteGuard(nn.Module model, Func<string> advice)
    {
        _model = model;
        _names = model.named_parameters().ToDictionary(p => p.parameter.Handle, p => p.name);
        _advice = advice;
    }

    /// <summary>Throws if <paramref name="loss"/> or any gradient is not finite; returns the gradients' global norm.</summary>
    /// <param name="phase">Where this happens, e.g. "the w step on the w-split".</param>
    public double Check(double loss, IReadOnlyList<Tensor> parameters, IList<Tensor> grads, string phase)
    {
        double norm = Gradients.GlobalNorm(grads);
        if (double.IsFinite(loss) && double.IsFinite(norm)) return norm;
        int first = Enumerable.Range(0, grads.Count).FirstOrDefault(i => !grads[i].isfinite().all().item<bool>(), -1);
        string where = first >= 0
            ? $"the first non-finite gradient is that of {NameOf(parameters[first])}"
            : $"every gradient is finite but their norm overflows float ({Describe(norm)})";
        // An earlier update may already have pushed a weight to ±∞; that is the first thing to know.
        string weights = _model.named_parameters().FirstOrDefault(p => !p.parameter.isfinite().all().item<bool>()) is { name: { } bad }
            ? $"; the weight {bad} itself is already non-finite, so an earlier update overflowed it"
            : "";
        throw new NonFiniteValueException($"{phase}: the loss is {Describe(loss)} and {where}{weights}. This step updated nothing. {_advice()}");
    }

    private string NameOf(Tensor parameter) => _names.TryGetValue(parameter.Handle, out var name) ? name : "an unnamed parameter";

    private static string Describe(double value) => double.IsFinite(value) ? value.ToString("G4", CultureInfo.InvariantCulture) : value.ToString(CultureInfo.InvariantCulture);
}
