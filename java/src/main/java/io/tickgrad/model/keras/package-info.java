/**
 * Import of Keras models saved in the TensorFlow.js layers format (model.json and weight shards) into tickgrad
 * layers and weights, refusing anything unsupported or inconsistent with a message naming the file and the field.
 * The imported model lives on the Java heap until {@link io.tickgrad.model.keras.ImportedModel#toNetwork} builds a
 * network, which the caller then owns.
 */
package io.tickgrad.model.keras;
