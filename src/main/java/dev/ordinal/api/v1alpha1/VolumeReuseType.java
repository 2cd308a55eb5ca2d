package dev.ordinal.api.v1alpha1;

/** Whether a recreated claim takes back the Released volume its name held before. */
public enum VolumeReuseType {
  Never,
  SameOrdinal
}
