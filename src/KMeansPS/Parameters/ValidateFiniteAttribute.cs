using System.Collections;
using System.Management.Automation;

namespace KMeansPS.Parameters;

/// <summary>
/// Rejects NaN and infinities at parameter binding, so the user gets a binding error that names the
/// parameter instead of an exception from deep inside.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateFiniteAttribute : ValidateArgumentsAttribute
{
    /// <inheritdoc/>
    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        Check(arguments);
    }

    private static void Check(object? value)
    {
        switch (value)
        {
            case null:
                return;
            case PSObject ps:
                Check(ps.BaseObject);
                return;
            case double d when !double.IsFinite(d):
                throw new ValidationMetadataException($"The value {d} is not a finite number.");
            case float f when !float.IsFinite(f):
                throw new ValidationMetadataException($"The value {f} is not a finite number.");
            case IEnumerable items when value is not string:
                foreach (object? item in items) Check(item);
                return;
        }
    }
}
