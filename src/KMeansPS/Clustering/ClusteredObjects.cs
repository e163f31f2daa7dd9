using System.Collections;
using System.Management.Automation;
using KMeansPS.Input;
using KMeansPS.Output;

namespace KMeansPS.Clustering;

/// <summary>
/// The objects -PassThru emits: each input object with a Cluster property (and, with -IncludeDistance, Distance to its
/// centre and Distances to every centre); custom objects and CSV rows are copied first, so the input is left as it was. Points that came as numbers or arrays come back as { Point, Cluster }, matrix
/// rows as point objects, hashtables as objects with their keys as properties.
/// </summary>
internal static class ClusteredObjects
{
    private const string SyntheticPointType = "KMeansPS.SyntheticPoint";
    private const string ClusteredPointType = "KMeansPS.ClusteredPoint";

    /// <summary>One object per row of <paramref name="table"/>, labelled <paramref name="labels"/>; distances (when
    /// <paramref name="workingCentroids"/>, the centres in working units, is given) are measured in <paramref name="space"/>.</summary>
    public static IEnumerable<PSObject> Of(PointTable table, int[] labels, double[][]? workingCentroids, FeatureSpace space)
    {
        for (int i = 0; i < table.Count; i++)
        {
            PSObject point = table.Matrix is not null ? MatrixPoint(table, i) : Labelled(table.Objects![i]);
            Set(point, "Cluster", labels[i]);
            if (workingCentroids is not null)
            {
                double[] row = ExactStatistics.WorkingRow(table, i, space);
                double[] distances = workingCentroids.Select(c => ExactStatistics.Distance(row, c)).ToArray();
                Set(point, "Distance", distances[labels[i]]);
                Set(point, "Distances", distances);
            }
            yield return point;
        }
    }

    private static PSObject MatrixPoint(PointTable table, int i)
    {
        var point = new PSObject();
        point.TypeNames.Insert(0, ClusteredPointType);
        point.TypeNames.Insert(0, CoordinateNames.PointTypeName(table.Dimensions, ClusteredPointType));
        for (int j = 0; j < table.Dimensions; j++) point.Properties.Add(new PSNoteProperty(table.Names[j], table.Value(i, j)));
        point.Properties.Add(new PSNoteProperty("TrueCluster", table.Matrix!.TrueCluster[i]));
        return point;
    }

    private static PSObject Labelled(PSObject item)
    {
        object? value = NumberConversion.Unwrap(item);
        if (value is IDictionary dictionary)
        {
            var copy = new PSObject();
            foreach (DictionaryEntry entry in dictionary) copy.Properties.Add(new PSNoteProperty(Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture) ?? "", entry.Value));
            return copy;
        }
        if (value is IList || value is string || NumberConversion.IsNumber(value!))
        {
            var wrapped = new PSObject();
            wrapped.Properties.Add(new PSNoteProperty("Point", value));
            return wrapped;
        }
        // A custom object (a CSV row, a [pscustomobject]) is copied, so the caller's objects keep their properties and
        // the same fit on them gives the same result again. Another .NET object's added properties live with the
        // object itself, so a copy would share them: it gets them, as Add-Member would add them.
        if (item.BaseObject is PSCustomObject) item = item.Copy();
        // New-SyntheticClusterData points have a view without Cluster: give them the clustered view.
        string? first = item.TypeNames.Count > 0 ? item.TypeNames[0] : null;
        if (first is not null && first.StartsWith(SyntheticPointType + "#", StringComparison.Ordinal))
        {
            item.TypeNames.Insert(0, ClusteredPointType);
            item.TypeNames.Insert(0, ClusteredPointType + first[SyntheticPointType.Length..]);
        }
        return item;
    }

    private static void Set(PSObject item, string name, object value)
    {
        if (item.Properties[name] is PSNoteProperty existing) existing.Value = value;
        else item.Properties.Add(new PSNoteProperty(name, value));
    }
}
