using System.Management.Automation;
using KMeansPS.Input;

namespace KMeansPS.Parameters;

/// <summary>
/// Lets -Model take a saved model as well as a live one: Import-Clixml's Deserialized.KMeansModel, ConvertFrom-Json's
/// object, a hashtable, or JSON text (see <see cref="SavedModelReader"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class KMeansModelTransformationAttribute : ArgumentTransformationAttribute
{
    /// <inheritdoc/>
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        try
        {
            return SavedModelReader.Read(inputData);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentTransformationMetadataException($"This is not a usable K-means model: {ex.Message}", ex);
        }
    }
}
