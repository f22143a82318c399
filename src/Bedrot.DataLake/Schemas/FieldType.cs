namespace Bedrot.DataLake.Schemas;

/// <summary>The value types a staging field can have (Frictionless Table Schema names).</summary>
public enum FieldType
{
    String,
    Integer,
    Number,
    Date,
    YearMonth,
    DateTime,
}
