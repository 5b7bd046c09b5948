package dev.idmint.examples.orders;

import dev.idmint.integrations.jackson.PublicId;

/**
 * An order as stored and as shown: in JSON its raw id is written as the public ID ({@code
 * "ord_1..."}) by the starter's Jackson module, and read back from one.
 */
public record Order(@PublicId(namespace = "order") long id, String item, int quantity) {}
